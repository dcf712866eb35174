-- One row per day and sku: supplier stock reports. supplier_c writes skus in lower case with a
-- trailing space, and some files are sent twice: the newest load's row is kept.
with reports as (
    select
        *,
        upper(trim(sku)) as clean_sku
    from {{source "partner_sftp" "inventory_snapshots"}}
)

select
    cast(snapshot_date as varchar) || ':' || clean_sku as inventory_snapshot_id,
    snapshot_date,
    supplier_code,
    clean_sku as sku,
    warehouse_code,
    quantity_on_hand,
    coalesce(quantity_inbound, 0) as quantity_inbound,
    _strata_source_file as source_file,
    timezone('UTC', _strata_loaded_at) as loaded_at
from reports
qualify row_number() over (partition by snapshot_date, clean_sku order by _strata_loaded_at desc, _strata_source_file) = 1
