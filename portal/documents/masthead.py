"""The masthead of a UN document in each language, as the Organization prints it (the top right block of the
first page): distribution, date, the version's language and the original's. French and Spanish documents
write it in their language ("Distr. générale", "Original : anglais"); Arabic, Chinese and Russian documents
keep it in English ("Distr.: General", "Original: English"), as does the symbol. These are fixed forms of the
Organization, kept here as data rather than as interface messages."""

from babel.dates import format_date

from language import LANGUAGE_NAMES

GENERAL, RESTRICTED = "general", "restricted"

DISTRIBUTION = {
    "fr": {GENERAL: "Distr. générale", RESTRICTED: "Distr. restreinte"},
    "es": {GENERAL: "Distr. general", RESTRICTED: "Distr. reservada"},
}
ENGLISH_DISTRIBUTION = {GENERAL: "Distr.: General", RESTRICTED: "Distr.: Restricted"}
# The original's language as each masthead names it ("Original : anglais").
ORIGINAL = {
    "fr": ("Original : {}", {"ar": "arabe", "zh": "chinois", "en": "anglais", "fr": "français", "ru": "russe",
                             "es": "espagnol"}),
    "es": ("Original: {}", {"ar": "árabe", "zh": "chino", "en": "inglés", "fr": "francés", "ru": "ruso",
                            "es": "español"}),
}
ENGLISH_NAMES = {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"}
# The locale whose long date the masthead uses: English mastheads write "3 March 2027".
DATE_LOCALE = {"fr": "fr", "es": "es"}


def masthead(lang, original, distribution, day):
    """``(distribution, date, version line or "", original line)`` of a document in ``lang`` whose original
    is in ``original``, dated ``day``."""
    if lang in DISTRIBUTION:
        pattern, names = ORIGINAL[lang]
        return (DISTRIBUTION[lang][distribution], format_date(day, "long", locale=DATE_LOCALE[lang]),
                LANGUAGE_NAMES[lang] if lang != original else "", pattern.format(names[original]))
    return (ENGLISH_DISTRIBUTION[distribution], format_date(day, "long", locale="en_GB"),
            ENGLISH_NAMES[lang] if lang != original else "", f"Original: {ENGLISH_NAMES[original]}")
