"""The building blocks of the documents the platform prints: a PDF (reportlab) and a Word file
(python-docx) with the same look, fonts and tables. Each report (a plan's activity report, a
network's financial report) gathers its data and lays it out with these, so that every printed
document shares one machinery."""
