{{status}} in ('shipped', 'completed')
