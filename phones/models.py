"""Repairs, battery orders, donated phones and stock: see issue "Phones"."""
