-- One row per address, newest version: a customer who moves has the address edited in place.
select
    address_id,
    customer_id,
    address_type,
    street,
    city,
    postal_code,
    upper(country_code) as country_code,
    is_default,
    timezone('UTC', created_at) as created_at,
    timezone('UTC', updated_at) as updated_at
from {{source "shop_mysql" "addresses"}}
qualify row_number() over (partition by address_id order by updated_at desc, _strata_loaded_at desc) = 1
