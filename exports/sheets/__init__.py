"""One module per sheet of the stakeholders' workbook; ``exports.workbook`` assembles them."""
