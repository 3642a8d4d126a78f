"""The catalogue area's UI: product groups, products and price lists dialogs, the product completer, and
the price list choice of the line editors (price_list_choice.py)."""
