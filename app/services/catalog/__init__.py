"""The catalogue area: products and services, their groups, stock and price lists, and the product import."""
