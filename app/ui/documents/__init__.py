"""The documents area's UI: the documents dock, quote, invoice, return and receipt forms, PDF preview, the VAT
table and the area's wiring (area.py).
"""
