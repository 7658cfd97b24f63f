module users-graceful

go 1.19
