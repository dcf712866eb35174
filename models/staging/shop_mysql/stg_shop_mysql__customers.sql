-- One row per customer, newest version (the lake reader already keeps the newest load's row per key;
-- the qualify keeps that true on a warehouse whose raw table holds every version).
select
    customer_id,
    lower(trim(email)) as email,
    trim(first_name) as first_name,
    trim(last_name) as last_name,
    upper(nullif(trim(country_code), '')) as country_code,
    phone,
    coalesce(marketing_opt_in, false) as is_marketing_opt_in,
    timezone('UTC', created_at) as created_at,
    timezone('UTC', updated_at) as updated_at
from {{source "shop_mysql" "customers"}}
qualify row_number() over (partition by customer_id order by updated_at desc, _strata_loaded_at desc) = 1
