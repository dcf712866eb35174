-- One row per product document, newest version. Documents stay nested in the lake:
-- categories (root first), attributes and variants are read here with struct and list access.
select
    _id as product_id,
    trim(name) as product_name,
    brand,
    status,
    status = 'active' as is_active,
    categories[len(categories)].id as category_id,
    attributes.material as material,
    attributes.season as season,
    attributes.origin_country as origin_country,
    len(variants) as variant_count,
    cast(created_at as timestamp) as created_at,
    cast(updated_at as timestamp) as updated_at
from {{source "shop_mongo" "products"}}
qualify row_number() over (partition by _id order by updated_at desc, _strata_loaded_at desc) = 1
