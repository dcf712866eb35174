create table "shop"."main_marts"."events_append__strata_incr" as
select * from "shop"."main"."stg_events"
where updated_at > (select max(updated_at) from "shop"."main_marts"."events_append")
;

insert into "shop"."main_marts"."events_append" ("id", "line", "v", "updated_at")
select "id", "line", "v", "updated_at" from "shop"."main_marts"."events_append__strata_incr";

drop table if exists "shop"."main_marts"."events_append__strata_incr";
