select
    product_id,
    sku,
    name as product_name,
    category,
    {{cents_to_dollars "price_cents"}} as list_price,
    is_active
from {{ref "raw_products"}}
