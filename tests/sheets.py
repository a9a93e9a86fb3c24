"""Reading back an exported sheet: the heading lines above the table (what it is: its title, plan
and year), then the table — the header row first."""


def split(sheet) -> tuple[list[str], list[list]]:
    """(heading lines, table rows with the header first) of an openpyxl worksheet. The heading
    ends at the first blank row; a sheet without one is all table."""
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for index, row in enumerate(rows):
        if not any(value not in (None, "") for value in row):
            return [r[0] for r in rows[:index]], rows[index + 1 :]
    return [], rows


def table(sheet) -> list[list]:
    """The table of the sheet, its header row first."""
    return split(sheet)[1]
