"""Sheets and documents every app reads and writes: workbook reading, the import report, the cell writer."""
