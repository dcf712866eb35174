-- One row per category: the distinct entries of the products' category paths.
with products as (
    select _id, categories
    from {{source "shop_mongo" "products"}}
    qualify row_number() over (partition by _id order by updated_at desc, _strata_loaded_at desc) = 1
),

paths as (
    select unnest(categories) as category
    from products
)

select distinct
    category.id as category_id,
    category.name as category_name,
    category.parent_id as parent_category_id,
    case when category.parent_id is null then 1 else 2 end as depth
from paths
