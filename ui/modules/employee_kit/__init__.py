"""What the employee tabs (缴存人登记, 缴存人状态变更, 缴存人信息查询, 单位部门管理) share: the hub (roster,
departments, the centre calls), table models over plain lists, the 清册 keeper and box, the 个人账号
picker, 批量导入, submitting a 清册, query pages with 打印 and 分享. See docs/employee-tabs.md."""
