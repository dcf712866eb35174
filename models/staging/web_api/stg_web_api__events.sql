{{config materialized="incremental" unique_key="event_id" on_schema_change="fail"}}
-- One row per tracking event. Incremental: each run reads only the loads that landed after the
-- newest one already built, so late-arriving app events are picked up by their load, not by
-- when they happened. Events delivered twice share an event_id: the newest copy is kept, both
-- within a run and (by merging on event_id) across runs, so a full refresh gives the same rows.
with events as (
    select *
    from {{source "web_api" "events"}}
    {{#if (is_incremental)}}
    where timezone('UTC', _strata_loaded_at) > (select max(loaded_at) from {{this}})
    {{/if}}
)

select
    event_id,
    event_type,
    session_id,
    anonymous_id,
    customer_id,
    timezone('UTC', occurred_at) as occurred_at,
    cast(timezone('UTC', occurred_at) as date) as occurred_date,
    timezone('UTC', received_at) as received_at,
    device,
    utm_source,
    utm_medium,
    utm_campaign,
    page_path,
    product_id,
    sku,
    order_id,
    revenue,
    currency,
    timezone('UTC', _strata_loaded_at) as loaded_at
from events
qualify row_number() over (partition by event_id order by _strata_loaded_at desc) = 1
