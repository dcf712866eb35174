{{config materialized="incremental" unique_key="session_id" incremental_strategy="merge" on_schema_change="append_new_columns"}}
-- One row per web/app session, rebuilt from all of its events whenever any of them is new.
-- Incremental: a run re-reads the sessions touched by events loaded since (the newest load already
-- built minus sessions_lookback_days), so late-arriving app events update their session in place.
with touched as (
    {{#if (is_incremental)}}
    select distinct session_id
    from {{ref "stg_web_api__events"}}
    where loaded_at > (select max(last_loaded_at) from {{this}}) - interval '{{var "sessions_lookback_days"}} days'
    {{else}}
    select distinct session_id from {{ref "stg_web_api__events"}}
    {{/if}}
),

events as (
    select e.*
    from {{ref "stg_web_api__events"}} as e
    {{#if (is_incremental)}}
    semi join touched as t on t.session_id = e.session_id
    {{/if}}
),

starts as (
    -- Every session has one session_start; it carries the device and the utm parameters.
    select
        session_id,
        occurred_at as started_at,
        device,
        utm_source,
        utm_medium,
        utm_campaign
    from events
    where event_type = 'session_start'
    qualify row_number() over (partition by session_id order by occurred_at, event_id) = 1
),

rolled_up as (
    select
        session_id,
        arg_min(anonymous_id, occurred_at) as anonymous_id,
        max(customer_id) as customer_id,
        arg_min(device, occurred_at) as first_device,
        min(occurred_at) as first_event_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        count(*) filter (where event_type = 'page_view') as page_views,
        count(*) filter (where event_type = 'page_view' and product_id is not null) as product_views,
        count(*) filter (where event_type = 'add_to_cart') as add_to_cart_events,
        count(*) filter (where event_type = 'checkout') > 0 as has_checkout,
        count(*) filter (where event_type = 'purchase') > 0 as has_purchase,
        max(order_id) filter (where event_type = 'purchase') as order_id,
        sum(revenue) filter (where event_type = 'purchase') as purchase_revenue,
        max(currency) filter (where event_type = 'purchase') as purchase_currency,
        max(loaded_at) as last_loaded_at
    from events
    group by session_id
)

select
    r.session_id,
    r.anonymous_id,
    r.customer_id,
    coalesce(s.device, r.first_device) as device,
    s.utm_source,
    s.utm_medium,
    s.utm_campaign,
    {{> channel_group mapping="cm" utm_source="s.utm_source"}} as channel_group,
    coalesce(cm.is_paid, false) as is_paid_channel,
    s.session_id is not null as has_session_start,
    coalesce(s.started_at, r.first_event_at) as started_at,
    cast(coalesce(s.started_at, r.first_event_at) as date) as session_date,
    r.ended_at,
    date_diff('second', coalesce(s.started_at, r.first_event_at), r.ended_at) as duration_seconds,
    r.event_count,
    r.page_views,
    r.product_views,
    r.add_to_cart_events,
    r.page_views > 0 as has_page_view,
    r.add_to_cart_events > 0 as has_add_to_cart,
    r.has_checkout,
    r.has_purchase,
    r.order_id,
    r.purchase_revenue,
    r.purchase_currency,
    r.last_loaded_at
from rolled_up as r
left join starts as s using (session_id)
left join {{ref "channel_mapping"}} as cm
    on cm.utm_source = coalesce(s.utm_source, '(direct)')
    and cm.utm_medium = coalesce(s.utm_medium, '(none)')
