import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_bidi, get_language_info

ALL = ["en", "fr", "ar", "fa", "ps", "ur", "ckb", "am", "ti", "om", "vi"]
RTL = {"ar", "fa", "ps", "ur", "ckb"}


def test_the_guide_has_the_eleven_languages_in_settings():
    assert [code for code, _ in settings.LANGUAGES] == ALL


@pytest.mark.parametrize("code", ALL)
def test_every_language_can_be_activated_with_its_direction(code):
    assert translation.check_for_language(code), f"no compiled catalogue for {code}"
    with translation.override(code):
        assert translation.get_language() == code
        assert get_language_bidi() is (code in RTL)
    assert get_language_info(code)["bidi"] is (code in RTL)


@pytest.mark.parametrize(
    ("code", "local"),
    [("ps", "پښتو"), ("am", "አማርኛ"), ("ti", "ትግርኛ"), ("om", "Afaan Oromoo")],
)
def test_languages_django_lacks_have_their_names_in_their_own_script(code, local):
    assert get_language_info(code)["name_local"] == local


@pytest.mark.parametrize("code", ["ps", "ti", "ckb"])
def test_locale_middleware_picks_a_language_django_lacks_from_accept_language(client, code):
    from django.test import RequestFactory
    from django.utils.translation import get_language_from_request

    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE=f"{code},en;q=0.5")
    assert get_language_from_request(request) == code
