"""Excel import of key projects and of their monthly investment reports (issue 6 §6).

The same rules as the indicator import and the task ledger import, whose pieces it reuses: the
file is read by `jinwei.indicators.importing.readers` (calamine for xlsx/xls/ods, CSV in UTF-8 or
GB18030), its table found by `table.locate`, names read by `jinwei.tasks.ledger_cells`; a dry run
first (`check.check_file`), then the commit (`commit.commit_file`) checks again and writes all or
nothing in one transaction.

- `columns`: which header holds what, on the projects sheet and on the reports sheet;
- `values`: reading one cell (amounts, percentages, months, stages) and names (parks, links);
- `rows`: the rows as read and the outcome of a check;
- `check` / `check_reports`: the dry run; `commit`: the writes;
- `uploads`: an uploaded file between its check and its commit, for the pages;
- `template`: the downloadable template.
"""
