create view "shop"."main"."stg_events__strata_tmp" as
select * from "shop"."main"."raw_events"
;

drop view if exists "shop"."main"."stg_events";

alter view "shop"."main"."stg_events__strata_tmp" rename to "stg_events";
