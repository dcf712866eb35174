create table "shop"."main"."events_snapshot__strata_snap_src" as
select * from "shop"."main"."raw_events"
;

create table "shop"."main"."events_snapshot__strata_snap_stg" as
with current_rows as (
  select * from "shop"."main"."events_snapshot" where dbt_valid_to is null
)
select
  s."id",
  s."line",
  s."v",
  s."updated_at",
  md5(coalesce(cast(s."id" as varchar), '') || '|' || coalesce(cast(s."line" as varchar), '') || '|' || coalesce(cast(s."updated_at" as varchar), '')) as dbt_scd_id,
  s."updated_at" as dbt_updated_at,
  s."updated_at" as dbt_valid_from,
  nullif(s."updated_at", s."updated_at") as dbt_valid_to,
  case when c.dbt_scd_id is null then null else s."updated_at" end as strata_close_at,
  true as strata_insert
from "shop"."main"."events_snapshot__strata_snap_src" as s
left join current_rows as c on c."id" = s."id" and c."line" = s."line"
where c.dbt_scd_id is null or (s."updated_at" > c.dbt_updated_at)
union all
select
  c."id",
  c."line",
  c."v",
  c."updated_at",
  md5(coalesce(cast(c."id" as varchar), '') || '|' || coalesce(cast(c."line" as varchar), '') || '|' || coalesce(cast(cast('<snapshot time>' as timestamp) as varchar), '')) as dbt_scd_id,
  cast('<snapshot time>' as timestamp) as dbt_updated_at,
  cast('<snapshot time>' as timestamp) as dbt_valid_from,
  nullif(cast('<snapshot time>' as timestamp), cast('<snapshot time>' as timestamp)) as dbt_valid_to,
  cast('<snapshot time>' as timestamp) as strata_close_at,
  false as strata_insert
from current_rows as c
where not exists (select 1 from "shop"."main"."events_snapshot__strata_snap_src" as s where s."id" = c."id" and s."line" = c."line")
;

update "shop"."main"."events_snapshot" as t
set dbt_valid_to = stg.strata_close_at
from "shop"."main"."events_snapshot__strata_snap_stg" as stg
where stg.strata_close_at is not null and t.dbt_valid_to is null and t."id" = stg."id" and t."line" = stg."line";

insert into "shop"."main"."events_snapshot" ("id", "line", "v", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
select "id", "line", "v", "updated_at", "dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to" from "shop"."main"."events_snapshot__strata_snap_stg"
where strata_insert;

drop table if exists "shop"."main"."events_snapshot__strata_snap_stg";

drop table if exists "shop"."main"."events_snapshot__strata_snap_src";
