import pytest

from crmlab.core.errors import ParameterError
from crmlab.core.i18n import LANGS, catalogue, t


def test_every_message_has_both_languages_and_the_same_fields():
    import string

    for key, messages in catalogue().items():
        assert set(messages) == set(LANGS), key
        fields = [{f for _, f, _, _ in string.Formatter().parse(messages[lang]) if f} for lang in LANGS]
        assert fields[0] == fields[1], f"{key}: placeholders differ between en and zh"


def test_translation_and_errors():
    assert t("reports.contents", "zh") == "目录"
    with pytest.raises(KeyError, match="Did you mean 'reports.contents'"):
        t("reports.content", "en")
    with pytest.raises(ParameterError, match="lang must be one of en, zh"):
        t("reports.contents", "fr")
