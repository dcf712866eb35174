-- Stock per sku on its latest supplier snapshot, and how many days it lasts at the pace it sold over the
-- trailing days_of_cover_window days (valid orders placed before the snapshot day).
with latest as (
    select *
    from {{ref "stg_partner_sftp__inventory_snapshots"}}
    qualify row_number() over (partition by sku order by snapshot_date desc) = 1
),

window_sales as (
    select
        l.sku,
        coalesce(sum(d.units_sold), 0) as units_sold_in_window
    from latest as l
    left join {{ref "int_sku_daily_sales"}} as d
        on d.sku = l.sku
        and d.sales_date >= l.snapshot_date - {{var "days_of_cover_window"}}
        and d.sales_date < l.snapshot_date
    group by l.sku
),

stockouts as (
    select
        l.sku,
        count(*) filter (where h.quantity_on_hand = 0) as stockout_days_in_window
    from latest as l
    join {{ref "stg_partner_sftp__inventory_snapshots"}} as h
        on h.sku = l.sku
        and h.snapshot_date > l.snapshot_date - {{var "days_of_cover_window"}}
        and h.snapshot_date <= l.snapshot_date
    group by l.sku
)

select
    l.sku,
    v.product_id,
    l.supplier_code,
    l.warehouse_code,
    l.snapshot_date,
    l.quantity_on_hand,
    l.quantity_inbound,
    l.quantity_on_hand = 0 as is_stocked_out,
    w.units_sold_in_window,
    round(w.units_sold_in_window / {{var "days_of_cover_window"}}, 3) as average_daily_units,
    case
        when w.units_sold_in_window = 0 then null
        else round(l.quantity_on_hand / (w.units_sold_in_window / {{var "days_of_cover_window"}}), 1)
    end as days_of_cover,
    coalesce(o.stockout_days_in_window, 0) as stockout_days_in_window
from latest as l
left join {{ref "stg_shop_mongo__product_variants"}} as v on v.sku = l.sku
left join window_sales as w on w.sku = l.sku
left join stockouts as o on o.sku = l.sku
