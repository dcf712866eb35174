create table "shop"."main_marts"."events_delete_insert__strata_incr" as
select * from "shop"."main"."stg_events"
;

delete from "shop"."main_marts"."events_delete_insert" as strata_target
where exists (select 1 from "shop"."main_marts"."events_delete_insert__strata_incr" as strata_source where strata_target."id" = strata_source."id" and strata_target."line" = strata_source."line");

insert into "shop"."main_marts"."events_delete_insert" ("id", "line", "v", "updated_at")
select "id", "line", "v", "updated_at" from "shop"."main_marts"."events_delete_insert__strata_incr";

drop table if exists "shop"."main_marts"."events_delete_insert__strata_incr";
