"""Norwegian number and date formats: 1 078 424,11 and 9. mai 2019.

Dates are typed as Norwegians write them, 2.5.2023 or 02.05.2023, and ISO 2023-05-02 is accepted
too; Wagtail's date fields show dd.mm.åååå (WAGTAIL_DATE_FORMAT). Two-digit years are refused
rather than guessed. A date-and-time field also accepts a date alone (midnight)."""

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = "j. F Y \\k\\l. H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"
NUMBER_GROUPING = 3

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 02.05.2023 and 2.5.2023
    "%Y-%m-%d",  # 2023-05-02
]
DATETIME_INPUT_FORMATS = [
    "%d.%m.%Y %H:%M",  # 02.05.2023 14:30
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y kl. %H:%M",  # 02.05.2023 kl. 14:30
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
]
