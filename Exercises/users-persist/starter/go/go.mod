module users-persist

go 1.19
