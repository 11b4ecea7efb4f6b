// The check-in form of a shift whose opportunity has a check-in radius (data-geofence): on
// submit, ask the browser once for where the phone is, put it in the hidden latitude/longitude
// inputs, then send the form. Without a location (refused, unavailable, too slow) the form is
// sent anyway and the server says clearly that the location is needed.
(function () {
  "use strict";

  function send(form, submitter) {
    form.dataset.located = "1";
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(submitter || undefined);
    } else {
      form.submit();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-geofence")) return;
    if (form.dataset.located === "1") return;
    if (!("geolocation" in navigator)) return;
    event.preventDefault();
    var submitter = event.submitter || null;
    var status = form.querySelector(".check-in-location-status");
    var latitude = form.querySelector('input[name="latitude"]');
    var longitude = form.querySelector('input[name="longitude"]');
    if (status) status.textContent = form.dataset.locating || "";
    if (submitter) submitter.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        if (submitter) submitter.disabled = false;
        send(form, submitter);
      },
      function () {
        if (status) status.textContent = form.dataset.locationFailed || "";
        latitude.value = "";
        longitude.value = "";
        if (submitter) submitter.disabled = false;
        send(form, submitter);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
