-- One row per settled marketplace order; the marketplace's order reference (SHOP-000123) parsed to our order id.
select
    settlement_id,
    marketplace,
    cast(regexp_extract(order_reference, '^SHOP-0*([0-9]+)$', 1) as bigint) as order_id,
    settlement_date,
    gross_amount,
    fee_amount,
    net_amount,
    currency,
    _strata_source_file as source_file
from {{source "partner_sftp" "marketplace_settlements"}}
qualify row_number() over (partition by settlement_id order by _strata_loaded_at desc) = 1
