create table "shop"."main"."raw_events__strata_tmp" ("id" INTEGER, "line" INTEGER, "v" VARCHAR, "updated_at" DATE);

-- 2 rows from seeds/raw_events.csv;

delete from "shop"."main"."raw_events";

insert into "shop"."main"."raw_events" ("id", "line", "v", "updated_at")
select "id", "line", "v", "updated_at" from "shop"."main"."raw_events__strata_tmp";

drop table if exists "shop"."main"."raw_events__strata_tmp";
