"""What a reader sees, computed once for every renderer: headline figures, verdict sentences,
findings and tables as declarative specs (``views.spec``) over frames that keep real numbers
and dates. No Streamlit, no xlsxwriter: the pages (``ui.render``) and the workbook
(``exports.xlsx_tables.write_spec``) draw the same objects."""
