module users-tests

go 1.19
