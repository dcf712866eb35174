-- One row per variant and currency: the current list price (unnested twice: variants, then prices).
with products as (
    select _id, variants, updated_at
    from {{source "shop_mongo" "products"}}
    qualify row_number() over (partition by _id order by updated_at desc, _strata_loaded_at desc) = 1
),

variants as (
    select _id as product_id, cast(updated_at as timestamp) as product_updated_at, unnest(variants) as variant
    from products
),

prices as (
    select product_id, product_updated_at, variant.sku as sku, unnest(variant.prices) as price
    from variants
)

select
    sku || ':' || price.currency as variant_price_id,
    sku,
    product_id,
    price.currency as currency,
    cast(price.amount as decimal(12, 2)) as list_price,
    product_updated_at
from prices
