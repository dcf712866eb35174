-- One row per variant (sku): the products' nested variants list, unnested.
with products as (
    select _id, variants
    from {{source "shop_mongo" "products"}}
    qualify row_number() over (partition by _id order by updated_at desc, _strata_loaded_at desc) = 1
),

variants as (
    select _id as product_id, unnest(variants) as variant
    from products
)

select
    variant.sku as sku,
    product_id,
    variant.size as size,
    variant.color as color,
    cast(variant.weight_g as integer) as weight_g,
    variant.supplier as supplier_code
from variants
