"""client.errors: problem+json → typed errors with the clerk's Chinese sentence; the error classifier."""
import concurrent.futures

from client.errors import (ApiError, CentreCertificateUntrusted, CentreUnreachable, Cancelled, ClientError,
                           ErrorKind, SessionExpired)
from hsm.errors import PinLocked


def test_problem_json_becomes_api_error_with_detail_as_message():
    problem = {"type": "about:blank", "title": "Unprocessable", "status": 422, "code": "validation",
               "detail": "有2行数据未通过校验", "errors": [
                   {"row": 3, "field": "id_number", "code": "checksum", "message": "身份证号码校验位错误"},
                   {"row": None, "field": "base", "code": "range", "message": "基数低于下限"}],
               "trace_id": "abc"}
    err = ApiError.from_problem(422, problem)
    assert type(err) is ApiError
    assert (err.status, err.code, err.detail) == (422, "validation", "有2行数据未通过校验")
    assert str(err) == err.message == "有2行数据未通过校验"
    assert len(err.errors) == 2 and err.extra == {"trace_id": "abc"}
    assert err.row_messages() == ["第3行 身份证号码校验位错误", "基数低于下限"]


def test_extra_members_are_kept():
    err = ApiError.from_problem(401, {"status": 401, "code": "bad_credentials", "detail": "密码错误",
                                      "remaining_attempts": 3}, session_call=False)
    assert type(err) is ApiError and err.extra == {"remaining_attempts": 3}


def test_missing_detail_falls_back_to_chinese_by_status():
    assert ApiError.from_problem(404, None).message == "要查找的记录不存在，请刷新后重试"
    assert ApiError.from_problem(409, {"code": "conflict"}).message == "业务状态已变化，请刷新后重试"
    assert ApiError.from_problem(503, None).message == "公积金中心服务器处理出错，请稍后再试"
    assert ApiError.from_problem(418, {"detail": "  "}).message.startswith("公积金中心返回了无法识别的应答")


def test_session_expired():
    err = ApiError.from_problem(401, {"code": "session_expired", "detail": "会话已过期"})
    assert isinstance(err, SessionExpired) and isinstance(err, ApiError)
    assert err.message == "登录已超时，请重新登录"
    # any other 401 on a call made with a session means the session is gone …
    assert isinstance(ApiError.from_problem(401, {"code": "unauthorized"}), SessionExpired)
    assert isinstance(ApiError.from_problem(401, None), SessionExpired)
    # … but a login refusal is not, nor is a 401 answering the login call itself
    assert not isinstance(ApiError.from_problem(401, {"code": "bad_credentials"}), SessionExpired)
    assert not isinstance(ApiError.from_problem(401, {"code": "whatever"}, session_call=False), SessionExpired)
    assert not isinstance(ApiError.from_problem(401, {"code": "locked"}), SessionExpired)  # 修改密码
    # a UKey revoked mid-session ends it, in the centre's words
    revoked = ApiError.from_problem(401, {"code": "certificate_revoked", "detail": "UKey证书已被注销"})
    assert isinstance(revoked, SessionExpired) and revoked.message == "UKey证书已被注销"
    assert revoked.code == "certificate_revoked"


def test_unreachable_and_untrusted_messages():
    assert str(CentreUnreachable()) == "无法连接公积金中心服务器，请检查网络；恢复后将自动重试"
    assert str(CentreCertificateUntrusted()) == "无法验证中心服务器证书，请在服务器设置中选择中心CA证书文件"
    assert not isinstance(CentreCertificateUntrusted(), CentreUnreachable)  # retrying does not help


def test_error_kinds():
    assert ErrorKind.of(ClientError("请输入单位账号")) is ErrorKind.USER
    assert ErrorKind.of(ApiError(422)) is ErrorKind.USER
    assert ErrorKind.of(CentreUnreachable()) is ErrorKind.USER
    assert ErrorKind.of(PinLocked()) is ErrorKind.USER
    assert ErrorKind.of(Cancelled()) is ErrorKind.CANCELLED
    assert ErrorKind.of(concurrent.futures.CancelledError()) is ErrorKind.CANCELLED
    assert ErrorKind.of(KeyError("x")) is ErrorKind.UNEXPECTED
    assert ErrorKind.of(ValueError("boom")) is ErrorKind.UNEXPECTED
