"""Import templates as files: the columns the import reads, with an example row.

CSV holds one table, so the import page lists the allowed values beside its link. The XLSX
template adds a sheet "Allowed values" and offers them in each column of a single value.
"""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .resources import TemplateColumn

ALLOWED_VALUES_SHEET = "Allowed values"
# Rows of the data sheet that offer the allowed values.
VALIDATED_ROWS = 1000

TEMPLATE_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_csv(columns: list[TemplateColumn]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    writer.writerow([column.example for column in columns])
    # With a byte order mark, spreadsheet programs read the file as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(columns: list[TemplateColumn], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([column.name for column in columns])
    sheet.append([column.example for column in columns])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        note = column.accepts + (" " + _("Required.") if column.required else "")
        cell.comment = Comment(note, "")
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column.name) + 4)

    allowed = book.create_sheet(ALLOWED_VALUES_SHEET)
    position = 1
    for index, column in enumerate(columns, start=1):
        if not column.values:
            continue
        value_letter = get_column_letter(position)
        allowed.cell(row=1, column=position, value=column.name).font = Font(bold=True)
        allowed.cell(row=1, column=position + 1, value=_("meaning")).font = Font(bold=True)
        for row, (value, meaning) in enumerate(column.values, start=2):
            allowed.cell(row=row, column=position, value=value)
            allowed.cell(row=row, column=position + 1, value=meaning)
        allowed.column_dimensions[value_letter].width = 24
        allowed.column_dimensions[get_column_letter(position + 1)].width = 36
        if not column.several:
            last = len(column.values) + 1
            source = f"${value_letter}$2:${value_letter}${last}"
            validation = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(ALLOWED_VALUES_SHEET)}!{source}",
                allow_blank=not column.required,
                showErrorMessage=True,
                errorTitle=_("Not an allowed value"),
                error=_("Choose a value listed on the sheet “%(sheet)s”.")
                % {"sheet": ALLOWED_VALUES_SHEET},
            )
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            sheet.add_data_validation(validation)
        position += 3
    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
