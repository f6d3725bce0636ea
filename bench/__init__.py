"""`make bench`: blotter's throughput, memory and storage on a generated local site."""
