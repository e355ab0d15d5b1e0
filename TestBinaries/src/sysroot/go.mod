module example.com/sysroot

go 1.25
