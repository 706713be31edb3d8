# Django's Portuguese formats read ISO dates first; people in Portugal and Brazil type 31/01/2026.
# Only this setting differs from Django's; every other format falls back to django/conf/locale/pt.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
