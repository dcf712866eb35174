select
    order_id,
    line_number,
    product_id,
    quantity,
    {{cents_to_dollars "unit_price_cents"}} as unit_price,
    {{cents_to_dollars "quantity * unit_price_cents"}} as line_amount
from {{ref "raw_order_items"}}
