# corpus: helper
"""Pure formatting helpers for the invoice handler (no AWS calls, no entry point)."""
from html import escape

TEMPLATE = """<html><body>
<h1>Invoice {number}</h1><p>{customer}</p>
<table>{lines}</table>
<p>Total: {total}</p>
</body></html>"""

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "KRW": "₩"}


def money(cents: int, currency: str) -> str:
    symbol = SYMBOLS.get(currency, currency + " ")
    if currency == "KRW":
        return f"{symbol}{cents:,}"
    return f"{symbol}{cents / 100:,.2f}"


def render_lines(lines: list[dict], currency: str) -> str:
    rows = []
    for line in lines:
        rows.append(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                escape(line["description"]), line["qty"], money(line["qty"] * line["unit_cents"], currency)
            )
        )
    return "\n".join(rows)


def invoice_key(number: str, issued: str) -> str:
    year, month, _day = issued.split("-")
    return f"invoices/{year}/{month}/{number}.html"
