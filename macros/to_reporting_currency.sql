{{!-- Money in the reporting currency (EUR): the amount times the day's rate, rounded to cents
      half away from zero, per row and before any sum, as the finance team books it.
      amount: a DECIMAL(12,2) column; rate: the rate_to_eur column of seeds/exchange_rates. --}}
cast(round({{amount}} * {{rate}}, 2) as decimal(18, 2))
