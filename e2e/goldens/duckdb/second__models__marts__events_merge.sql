create table "shop"."main_marts"."events_merge__strata_incr" as
select * from "shop"."main"."stg_events"
;

merge into "shop"."main_marts"."events_merge" as strata_target
using "shop"."main_marts"."events_merge__strata_incr" as strata_source
on (strata_target."id" = strata_source."id")
when matched then update set "line" = strata_source."line", "v" = strata_source."v", "updated_at" = strata_source."updated_at"
when not matched then insert ("id", "line", "v", "updated_at") values (strata_source."id", strata_source."line", strata_source."v", strata_source."updated_at");

drop table if exists "shop"."main_marts"."events_merge__strata_incr";
