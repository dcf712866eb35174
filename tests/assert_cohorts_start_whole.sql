-- In its first month every customer of a cohort is active, and no later month has more active customers.
select cohort_month, month_offset, cohort_size, active_customers
from {{ref "cohort_retention"}}
where (month_offset = 0 and active_customers <> cohort_size)
   or active_customers > cohort_size
