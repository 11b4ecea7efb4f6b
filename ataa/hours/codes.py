"""The rotating check-in code a coordinator's screen shows at the site.

Time is cut in windows of WINDOW_SECONDS. The code of a shift for a window is an HMAC of the
shift and the window under a key derived from SECRET_KEY (like a TOTP): the screen and the server
compute the same code, nothing is stored, and a code says nothing about anyone. A code is good
for its own window and the one after it (someone scanning just as the screen changes), so it
lives at most 2 × WINDOW_SECONDS; the attendance remembers the window of the last code its
volunteer used, so one code serves one action (checking in, then out, needs a new code).

The QR image holds the check-in page's address with the shift and the code, so the phone's own
camera app opens it too; the code is also shown in letters, for typing it in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

WINDOW_SECONDS = 30
CODE_LENGTH = 8
# Letters and digits that cannot be mistaken for one another when typed (no 0/O, 1/I/L).
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_SALT = "ataa.hours.check-in-code"


def window_of(moment: dt.datetime | None = None) -> int:
    moment = moment or timezone.now()
    return int(moment.timestamp()) // WINDOW_SECONDS


def code_for(shift_id: int, window: int) -> str:
    digest = salted_hmac(_SALT, f"{shift_id}:{window}", algorithm="sha256").digest()
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[index])
    return "".join(letters)


@dataclass(frozen=True)
class ShownCode:
    code: str
    window: int
    expires_at: dt.datetime  # when the screen shows the next code


def current_code(shift_id: int, now: dt.datetime | None = None) -> ShownCode:
    window = window_of(now)
    expires = dt.datetime.fromtimestamp((window + 1) * WINDOW_SECONDS, tz=dt.UTC)
    return ShownCode(code_for(shift_id, window), window, expires)


def normalize(code: str) -> str:
    """A typed code as the screen shows it: capitals, without spaces or dashes."""
    return "".join(code.split()).replace("-", "").upper()


def window_of_code(shift_id: int, code: str, now: dt.datetime | None = None) -> int | None:
    """The window `code` belongs to if it is good now (this window or the one before), else
    None: a wrong code, another shift's, or an expired one."""
    code = normalize(code)
    current = window_of(now)
    for window in (current, current - 1):
        if constant_time_compare(code, code_for(shift_id, window)):
            return window
    return None


def was_ever_valid(shift_id: int, code: str, now: dt.datetime | None = None, *, hours=3) -> bool:
    """Whether `code` was this shift's code in the last `hours` (to tell "expired" from "wrong"
    in the message a volunteer sees)."""
    code = normalize(code)
    current = window_of(now)
    return any(
        constant_time_compare(code, code_for(shift_id, window))
        for window in range(current - 2, current - 2 - hours * 3600 // WINDOW_SECONDS, -1)
    )
