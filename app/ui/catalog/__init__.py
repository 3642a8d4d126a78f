"""The catalogue area's UI: product groups, products and price lists dialogs, and the product completer."""
