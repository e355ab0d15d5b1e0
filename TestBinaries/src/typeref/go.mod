module example.com/typeref

go 1.19
