create table "shop"."main"."events_snapshot__strata_snap_src" as
select * from "shop"."main"."raw_events"
;

create table "shop"."main"."events_snapshot__strata_snap_stg" as
select
  s."id",
  s."line",
  s."v",
  s."updated_at",
  md5(coalesce(cast(s."id" as varchar), '') || '|' || coalesce(cast(s."line" as varchar), '') || '|' || coalesce(cast(s."updated_at" as varchar), '')) as dbt_scd_id,
  s."updated_at" as dbt_updated_at,
  s."updated_at" as dbt_valid_from,
  nullif(s."updated_at", s."updated_at") as dbt_valid_to
from "shop"."main"."events_snapshot__strata_snap_src" as s
;

alter table "shop"."main"."events_snapshot__strata_snap_stg" rename to "events_snapshot";

drop table if exists "shop"."main"."events_snapshot__strata_snap_src";
