// The scanner page: "Scan the code" opens the back camera in a <video>, reads frames with jsQR
// (static/vendor/jsQR.js) and, when a frame holds the address of a check-in page of this site,
// goes there. Any other QR code is refused with a message; a refused or missing camera says so
// and leaves the typed code (the forms below, which work without JavaScript) as the way in.
(function () {
  "use strict";

  var scanner = document.getElementById("scanner");
  if (!scanner) return;
  var startButton = document.getElementById("scan-start");
  var stopButton = document.getElementById("scan-stop");
  var video = document.getElementById("scan-video");
  var status = document.getElementById("scan-status");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;
  var frame = null;
  var CHECK_IN_PATH = /^\/check-in\/\d+\/$/;

  function say(key) {
    status.textContent = scanner.dataset[key] || "";
  }

  function checkInUrl(text) {
    var url;
    try {
      url = new URL(text, window.location.href);
    } catch (error) {
      return null;
    }
    if (url.origin !== window.location.origin || !CHECK_IN_PATH.test(url.pathname)) return null;
    return url.href;
  }

  function stop() {
    if (frame !== null) window.cancelAnimationFrame(frame);
    frame = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    stopButton.hidden = true;
    startButton.hidden = false;
  }

  function tick() {
    frame = null;
    if (!stream) return;
    if (video.readyState >= video.HAVE_ENOUGH_DATA && video.videoWidth) {
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert",
      });
      if (found && found.data) {
        var target = checkInUrl(found.data);
        if (target) {
          say("found");
          stop();
          window.location.assign(target);
          return;
        }
        say("notOurs");
      }
    }
    frame = window.requestAnimationFrame(tick);
  }

  function start() {
    say("starting");
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        startButton.hidden = true;
        stopButton.hidden = false;
        return video.play();
      })
      .then(function () {
        say("looking");
        frame = window.requestAnimationFrame(tick);
      })
      .catch(function (error) {
        stop();
        var name = error && error.name;
        if (name === "NotAllowedError" || name === "SecurityError") say("refused");
        else if (name === "NotFoundError" || name === "OverconstrainedError") say("missing");
        else say("failed");
      });
  }

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia || !window.jsQR) {
    // No camera API here (an old browser, or a page not served over HTTPS).
    say("missing");
    return;
  }
  startButton.hidden = false;
  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);
})();
