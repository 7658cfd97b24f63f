module users-api

go 1.19
