{{config unique_key="product_id" strategy="check" check_cols="price_cents,is_active" hard_deletes="invalidate"}}
-- Type-2 history of catalogue prices: a new row each time a product's price or status changes.
select product_id, sku, name, category, price_cents, is_active
from {{ref "raw_products"}}
