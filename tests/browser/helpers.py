"""What the browser tests check on a page, and how they get there (see conftest.py)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.browser.axe import axe_check

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"


def login(context, user, base_url: str) -> None:
    """Sign `user` in without the login form: a session made by Django's test client."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artifact: test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# --- Page checks ------------------------------------------------------------------------------

LANGUAGE_DIRECTION = {"ar": "rtl", "en": "ltr"}


def assert_language(page, language: str) -> None:
    """`<html lang dir>` says the language, and the direction that goes with it."""
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", LANGUAGE_DIRECTION[language])


def assert_landmarks(page, label: str) -> None:
    """One banner, one main (the skip link's target), a labelled main nav, one contentinfo."""
    counts = page.evaluate(
        """() => ({
          banner: document.querySelectorAll('body > header').length,
          main: document.querySelectorAll('main#main').length,
          nav: document.querySelectorAll('header nav[aria-label]').length,
          footer: document.querySelectorAll('body > footer').length,
          h1: document.querySelectorAll('main h1').length,
          skip: document.querySelectorAll('body > a.skip-link[href="#main"]').length,
        })"""
    )
    expected = {"banner": 1, "main": 1, "nav": 1, "footer": 1, "h1": 1, "skip": 1}
    assert counts == expected, f"landmarks on {label}: {counts}"


BROKEN_REFERENCES = """() => Array.from(document.querySelectorAll(
    '[aria-describedby], [aria-labelledby], label[for]'))
  .flatMap((el) => ['aria-describedby', 'aria-labelledby', 'for'].flatMap((attr) =>
    (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean).map((id) => {
      const target = document.getElementById(id);
      return target && target.textContent.trim() !== '' || attr === 'for' && target
        ? null : `${el.tagName.toLowerCase()}[${attr}=${id}]`;
    })))
  .filter(Boolean)"""


def assert_references_resolve(page, label: str) -> None:
    """Every label points at its field, and every description/label id at something readable."""
    broken = page.evaluate(BROKEN_REFERENCES)
    assert not broken, f"references to missing or empty elements on {label}: {broken}"


def assert_fits_phone(page, name: str) -> None:
    """On a 360 px wide screen nothing scrolls sideways; saves the phone screenshot."""
    page.set_viewport_size(PHONE)
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"{name}-360")
        assert width <= PHONE["width"] + 1, (
            f"{name}: the page is {width}px wide on a {PHONE['width']}px screen; widest: "
            + page.evaluate(WIDEST_ELEMENTS)
        )
    finally:
        page.set_viewport_size(DESKTOP)


WIDEST_ELEMENTS = """() => Array.from(document.querySelectorAll('body *'))
  .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
               || el.getBoundingClientRect().left < -1)
  .slice(0, 5)
  .map((el) => {
    const box = el.getBoundingClientRect();
    const classes = typeof el.className === 'string' ? el.className.trim().split(/ +/) : [];
    return [el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), ...classes].join('.')
      + ' ' + Math.round(box.left) + '..' + Math.round(box.right);
  })
  .join(', ')"""

FOCUS_STATE = """() => {
  const el = document.activeElement;
  const style = window.getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    className: typeof el.className === 'string' ? el.className : '',
    text: (el.innerText || el.value || '').trim().slice(0, 40),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0,
    top: el.getBoundingClientRect().top, bottom: el.getBoundingClientRect().bottom,
  };
}"""


def focus_state(page) -> dict:
    return page.evaluate(FOCUS_STATE)


def assert_focus_visible(state: dict, label: str) -> None:
    assert state["outlineStyle"] not in ("none", "") and state["outlineWidth"] >= 2, (
        f"no visible focus on {label}: {state}"
    )


def assert_skip_link(page, label: str) -> None:
    """The first Tab reaches the (now visible) skip link; Enter moves focus to <main>; the next
    Tab lands on a control with a visible focus outline."""
    page.locator("body").evaluate(
        "(body) => { document.activeElement.blur(); window.scrollTo(0, 0); }"
    )
    page.keyboard.press("Tab")
    state = focus_state(page)
    assert "skip-link" in state["className"], f"first Tab on {label} focused {state}"
    assert state["top"] >= 0, f"the focused skip link is off screen on {label}: {state}"
    assert_focus_visible(state, f"the skip link of {label}")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    state = focus_state(page)
    assert state["tag"] not in ("body", "main"), f"Tab after the skip link on {label}: {state}"
    assert_focus_visible(state, f"{state['tag']} after the skip link on {label}")


def switch_language(page, language: str) -> None:
    """Use the header's language switch, as a person would."""
    page.locator(f'form.language-switch button[value="{language}"]').click()
    assert_language(page, language)
    page.wait_for_load_state("load")


def check_page(page, name: str, language: str) -> None:
    """Everything every page must pass, in one language: lang/dir, landmarks, axe, screenshots,
    360 px, keyboard."""
    label = f"{name} ({language})"
    assert_language(page, language)
    assert_landmarks(page, label)
    assert_references_resolve(page, label)
    axe_check(page, label)
    screenshot(page, f"{name}-{language}")
    assert_fits_phone(page, f"{name}-{language}")
    assert_skip_link(page, label)


# --- Data the browser tests share -------------------------------------------------------------


def jeddah_with_rawdah():
    """Jeddah and its Al-Rawdah district. The transactional database of browser tests may have
    lost the rows the migrations seeded, so they are made again when missing."""
    from ataa.core.models import City, District

    jeddah, _ = City.objects.get_or_create(
        code="jeddah", defaults={"name_ar": "جدة", "name_en": "Jeddah", "country": "SA"}
    )
    rawdah, _ = District.objects.get_or_create(
        city=jeddah, code="al-rawdah", defaults={"name_ar": "الروضة", "name_en": "Al-Rawdah"}
    )
    return jeddah, rawdah


def give_volunteer_profile(user, *, city, **extra):
    """A plain adult volunteer profile in `city`, with the consent to process it."""
    from ataa.volunteers.services import volunteer_profile_save

    return volunteer_profile_save(
        user=user,
        full_name_ar="سام الغريب",
        gender="male",
        date_of_birth=dt.date(1992, 2, 2),
        phone="+966550001234",
        city=city,
        languages=["ar", "en"],
        consents={"profile_processing"},
        **extra,
    )
