{{config unique_key="variant_price_id" strategy="check" check_cols="list_price" hard_deletes="invalidate"}}
-- Type-2 history of every variant's list price per currency: a new version whenever the price changes.
-- A variant (or a currency) that leaves the catalogue has its current version closed (invalidate).
select
    variant_price_id,
    sku,
    product_id,
    currency,
    list_price
from {{ref "stg_shop_mongo__variant_prices"}}
