#!/usr/bin/env python3
"""Reads a report's XLSX back with openpyxl, as a partner's spreadsheet would, and checks it
against the same report's JSON: every table has its sheet, named by its title; every row of
the layout is there with its label; counts are numbers (never text among numbers); hidden
cells are empty; the header row is frozen; totals appear only where the JSON publishes them.
Prints "ok" or the problems found, one a line, and exits 1 on any."""
import json
import sys

import openpyxl


def main(xlsx_path, json_path):
    report = json.load(open(json_path, encoding="utf-8"))
    book = openpyxl.load_workbook(xlsx_path)
    problems = []
    sheets = book.worksheets
    if len(sheets) != len(report["tables"]) + 1:
        problems.append(f"{len(sheets)} sheets for {len(report['tables'])} tables and an About sheet")
    about = sheets[0]
    years = [row[1] for row in about.iter_rows(values_only=True) if row and row[1] == report["year"]]
    if not years or not isinstance(years[0], int):
        problems.append("the About sheet has no numeric year")
    for sheet, table in zip(sheets[1:], report["tables"]):
        where = f"{sheet.title} ({table['id']})"
        if sheet.title.replace("_", " ") == table["id"].replace("_", " "):
            problems.append(f"{where}: the sheet is named by its code")
        if sheet.freeze_panes is None:
            problems.append(f"{where}: no frozen header")
        labels = {}
        for r in range(1, sheet.max_row + 1):
            v = sheet.cell(row=r, column=1).value
            if isinstance(v, str):
                labels.setdefault(v, r)
        total_rows = [r for r in range(1, sheet.max_row + 1)
                      if sheet.cell(row=r, column=1).value in ("Total", "Итого", "Cəmi", "Всего")]
        for row in table["rows"]:
            r = labels.get(row["label_text"])
            if r is None:
                problems.append(f"{where}: no row {row['label_text']!r}")
                continue
            for c, value in enumerate(row["values"]):
                cell = sheet.cell(row=r, column=c + 2).value
                if isinstance(value, (int, float)):
                    shown = value / 10 ** table.get("decimals", 0)
                    if not isinstance(cell, (int, float)) or abs(cell - shown) > 1e-9:
                        problems.append(f"{where}: {row['label_text']} col {c}: {cell!r}, JSON {value!r}")
                elif cell is not None:
                    problems.append(f"{where}: hidden cell {row['label_text']} col {c} holds {cell!r}")
        if table["totals"]["total"] is None and not table["column_totals"] and total_rows:
            problems.append(f"{where}: a total row although the JSON publishes none")
    print("\n".join(problems) if problems else "ok")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
